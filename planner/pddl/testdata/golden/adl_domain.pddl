(define (domain toolbox)
  (:requirements :adl :action-costs :equality)
  (:types room item - object box tool - item robot)
  (:constants hall - room)
  (:predicates
    (at ?r - robot ?x - room)
    (in ?i - item ?x - room)
    (holding ?r - robot ?i - item)
    (locked ?x - room)
    (connected ?a ?b - room)
    (lit ?x - room)
    (key-for ?t - tool ?x - room)
    (clean ?x - room))
  (:functions
    (total-cost)
    (distance ?a ?b - room) - number)
  (:action move
    :parameters (?r - robot ?from ?to - room)
    :precondition (and
                    (at ?r ?from)
                    (or (connected ?from ?to) (connected ?to ?from))
                    (not (= ?from ?to))
                    (not (locked ?to)))
    :effect (and
              (at ?r ?to)
              (not (at ?r ?from))
              (increase (total-cost) (distance ?from ?to))))
  (:action unlock
    :parameters (?r - robot ?x - room)
    :precondition (and
                    (locked ?x)
                    (exists (?t - tool) (and (holding ?r ?t) (key-for ?t ?x))))
    :effect (and (not (locked ?x)) (increase (total-cost) 2)))
  (:action pick
    :parameters (?r - robot ?i - (either box tool) ?x - room)
    :precondition (and (at ?r ?x) (in ?i ?x))
    :effect (and (holding ?r ?i) (not (in ?i ?x)) (increase (total-cost) 1)))
  (:action drop-all
    :parameters (?r - robot ?x - room)
    :precondition (at ?r ?x)
    :effect (and
              (forall (?i - item)
                (when (holding ?r ?i) (and (in ?i ?x) (not (holding ?r ?i)))))
              (increase (total-cost) 1)))
  (:action sweep
    :parameters (?r - robot ?x - room)
    :precondition (and
                    (at ?r ?x)
                    (forall (?i - item) (not (in ?i ?x)))
                    (imply (= ?x hall) (lit hall)))
    :effect (and
              (clean ?x)
              (when (exists (?y - room) (and (connected ?x ?y) (clean ?y))) (lit ?x))
              (increase (total-cost) 3)))
)
