; Graph colouring with deep quantifier nests: forall / exists / forall
; with a disjunction under an implication in a precondition, a universal
; negated conjunction in the goal, and a forall effect whose when-effect
; holds a conjunction with another forall and when inside.
(define (domain coloring)
  (:requirements :adl)
  (:types node color)
  (:predicates (edge ?a ?b - node) (has ?n - node ?c - color) (recheck ?n - node) (certified))
  (:action paint
    :parameters (?n - node ?c - color)
    :precondition (and (not (exists (?d - color) (has ?n ?d)))
                       (forall (?m - node) (imply (or (edge ?n ?m) (edge ?m ?n)) (not (has ?m ?c)))))
    :effect (has ?n ?c))
  (:action wipe
    :parameters (?n - node)
    :precondition (exists (?c - color) (has ?n ?c))
    :effect (forall (?c - color)
              (when (has ?n ?c)
                (and (not (has ?n ?c))
                     (forall (?m - node) (when (edge ?n ?m) (recheck ?m)))))))
  (:action certify
    :parameters ()
    :precondition (forall (?a - node)
                    (exists (?c - color)
                      (and (has ?a ?c)
                           (forall (?b - node)
                             (imply (or (edge ?a ?b) (edge ?b ?a)) (not (has ?b ?c)))))))
    :effect (certified)))
