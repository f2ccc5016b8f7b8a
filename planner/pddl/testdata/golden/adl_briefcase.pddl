(define (domain briefcase)
  (:requirements :adl)
  (:types location physob)
  (:constants B - physob)
  (:predicates
    (at ?x - physob ?l - location)
    (in ?x - physob))
  (:action mov-B
    :parameters (?m ?l - location)
    :precondition (and (at B ?m) (not (= ?m ?l)))
    :effect (and
              (at B ?l)
              (not (at B ?m))
              (forall (?z - physob)
                (when (and (in ?z) (not (= ?z B))) (and (at ?z ?l) (not (at ?z ?m)))))))
  (:action put-in
    :parameters (?x - physob ?l - location)
    :precondition (and (not (= ?x B)) (at ?x ?l) (at B ?l) (not (in ?x)))
    :effect (in ?x))
  (:action take-out
    :parameters (?x - physob)
    :precondition (in ?x)
    :effect (not (in ?x)))
)
